"""The monitor configuration (`monitor.yaml`): columns, thresholds and statistical settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from aims.errors import ConfigError
from aims.monitor.drift import DriftThresholds


class FairnessThresholds(BaseModel):
    """Limits on group disparity; a value past its limit is a breach."""

    model_config = ConfigDict(extra="forbid")

    demographic_parity_ratio_min: float | None = 0.8
    """The four-fifths rule."""
    demographic_parity_difference_max: float | None = None
    equalized_odds_difference_max: float | None = 0.1
    equal_opportunity_difference_max: float | None = 0.1
    predictive_parity_difference_max: float | None = None


class PerformanceThresholds(BaseModel):
    """Limits on model performance, absolute or as a drop from the reference data."""

    model_config = ConfigDict(extra="forbid")

    accuracy_min: float | None = None
    f1_min: float | None = None
    roc_auc_min: float | None = None
    calibration_error_max: float | None = None
    rmse_max: float | None = None
    mae_max: float | None = None
    max_drop: float | None = 0.05
    """Largest allowed drop of accuracy, F1 or ROC AUC below the reference's value."""


class DriftSettings(BaseModel):
    """Drift detection settings (see `aims.monitor.drift`)."""

    model_config = ConfigDict(extra="forbid")

    small_sample: int = 1000
    p_value: float = 0.05
    wasserstein: float = 0.1
    jensen_shannon: float = 0.1
    psi: float = 0.2
    drift_share: float = 0.5

    def thresholds(self) -> DriftThresholds:
        """As the frozen dataclass the statistics use."""
        return DriftThresholds(**self.model_dump())


class MonitorConfig(BaseModel):
    """Everything `aims monitor run` can be told in a file; CLI options override it."""

    model_config = ConfigDict(extra="forbid")

    version: int = 1
    system: str | None = None
    model_version: str | None = None
    target: str | None = None
    prediction: str | None = None
    score: str | None = None
    sensitive: list[str] = Field(default_factory=list)
    positive_label: str = "1"
    score_threshold: float = 0.5
    """Scores at or above this count as positive predictions when no prediction column is given."""
    columns: list[str] | None = None
    """Feature columns to check for drift (default: every column but target/prediction/score)."""
    exclude: list[str] = Field(default_factory=list)
    categorical: list[str] = Field(default_factory=list)
    numeric: list[str] = Field(default_factory=list)
    min_group_size: int = 30
    bootstrap: int = 200
    seed: int = 0
    drift: DriftSettings = Field(default_factory=DriftSettings)
    fairness: FairnessThresholds = Field(default_factory=FairnessThresholds)
    performance: PerformanceThresholds = Field(default_factory=PerformanceThresholds)


def load_config(path: Path | None) -> MonitorConfig:
    """Read a monitor.yaml (or return the defaults); raises `ConfigError` with what is wrong."""
    if path is None:
        return MonitorConfig()
    try:
        data: Any = yaml.safe_load(path.read_text("utf-8")) or {}
    except OSError as exc:
        raise ConfigError(f"cannot read monitor config: {exc.strerror}", path=str(path)) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(
            f"invalid YAML: {getattr(exc, 'problem', exc)}",
            path=str(path),
            line=mark.line + 1 if mark else None,
        ) from exc
    try:
        return MonitorConfig.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{where}: {first['msg']}", path=str(path)) from exc
