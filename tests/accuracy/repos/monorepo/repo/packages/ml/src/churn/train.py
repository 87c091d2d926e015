"""Train the churn classifier and log it to MLflow."""

import mlflow
import pandas as pd
import torch
from sklearn.model_selection import train_test_split
from torch import nn


class ChurnNet(nn.Module):
    def __init__(self, n_features: int) -> None:
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(n_features, 32), nn.ReLU(), nn.Linear(32, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layers(x)


def train(frame: pd.DataFrame) -> None:
    x_train, _, y_train, _ = train_test_split(frame.drop(columns="churned"), frame["churned"])
    model = ChurnNet(x_train.shape[1])
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
    features = torch.tensor(x_train.values, dtype=torch.float32)
    target = torch.tensor(y_train.values, dtype=torch.float32).unsqueeze(1)
    with mlflow.start_run():
        for _ in range(20):
            optimiser.zero_grad()
            loss = nn.functional.binary_cross_entropy_with_logits(model(features), target)
            loss.backward()
            optimiser.step()
        mlflow.pytorch.log_model(model, "model")
