"""Generate the bundled credit-scoring example: a stable month and a month that drifts and turns unfair.

Run: python examples/monitoring/generate.py  (writes reference.csv and current.csv beside it;
seeded, so the files are reproducible).
"""

from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent


def month(rng: np.random.Generator, n: int, *, drift: bool) -> pd.DataFrame:
    group = rng.choice(["A", "B"], size=n, p=[0.6, 0.4])
    age_band = rng.choice(["18-29", "30-49", "50+"], size=n, p=[0.3, 0.45, 0.25])
    income = rng.lognormal(mean=10.6, sigma=0.45, size=n)
    debt_ratio = np.clip(rng.beta(2, 5, size=n), 0, 1)
    history_years = rng.gamma(4.0, 2.0, size=n)
    channel = rng.choice(["branch", "web", "partner"], size=n, p=[0.3, 0.5, 0.2])
    if drift:
        # Month two: incomes fall, debt rises, the partner channel grows.
        income = income * rng.normal(0.78, 0.05, size=n)
        debt_ratio = np.clip(debt_ratio + rng.normal(0.12, 0.04, size=n), 0, 1)
        channel = rng.choice(["branch", "web", "partner"], size=n, p=[0.15, 0.4, 0.45])
    logit = (np.log(income) - 10.6) * 2.2 - 4.0 * (debt_ratio - 0.3) + 0.08 * (history_years - 8)
    repaid = rng.random(n) < 1 / (1 + np.exp(-(logit + 1.0)))
    score_logit = logit + 1.0 + rng.normal(0, 0.6, size=n)
    if drift:
        # A changed upstream feature pipeline penalises group B.
        score_logit = score_logit - np.where(group == "B", 1.6, 0.0)
    score = 1 / (1 + np.exp(-score_logit))
    return pd.DataFrame(
        {
            "income": income.round(2),
            "debt_ratio": debt_ratio.round(4),
            "history_years": history_years.round(2),
            "channel": channel,
            "age_band": age_band,
            "group": group,
            "score": score.round(4),
            "approved": (score >= 0.5).astype(int),
            "repaid": repaid.astype(int),
        }
    )


def main() -> None:
    rng = np.random.default_rng(20261129)
    month(rng, 4000, drift=False).to_csv(HERE / "reference.csv", index=False)
    month(rng, 4000, drift=True).to_csv(HERE / "current.csv", index=False)


if __name__ == "__main__":
    main()
