"""Train the score regressor, tune it with Ray Tune and flag noisy labels with cleanlab."""

import joblib
import pandas as pd
from cleanlab.filter import find_label_issues
from ray import tune
from sklearn.ensemble import RandomForestRegressor
from sklearn.model_selection import train_test_split

MODEL_PATH = "artifacts/model.joblib"


def train(config: dict) -> float:
    df = pd.read_csv("data/stud.csv")
    X, y = df[["reading_score"]], df["math_score"]
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
    reg = RandomForestRegressor(n_estimators=config["trees"]).fit(X_train, y_train)
    joblib.dump(reg, MODEL_PATH)
    return reg.score(X_test, y_test)


def noisy_rows(labels, probabilities):
    return find_label_issues(labels, probabilities)


if __name__ == "__main__":
    tune.run(train, config={"trees": tune.choice([50, 100])})
