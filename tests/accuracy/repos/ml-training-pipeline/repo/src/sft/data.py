"""Training data: public instruction data plus our own tickets (tracked with DVC)."""

import pandas as pd
from datasets import Dataset, concatenate_datasets, load_dataset
from huggingface_hub import hf_hub_download

PUBLIC_SFT = "HuggingFaceH4/ultrachat_200k"
MATH_EVAL = "openai/gsm8k"


def public_mix() -> Dataset:
    chats = load_dataset(PUBLIC_SFT, split="train_sft[:2%]")
    return chats.select_columns(["messages"])


def eval_set() -> Dataset:
    return load_dataset(MATH_EVAL, "main", split="test")


def glossary() -> pd.DataFrame:
    path = hf_hub_download(
        repo_id="acme-ai/support-glossary", filename="glossary.csv", repo_type="dataset"
    )
    return pd.read_csv(path)


def own_tickets() -> Dataset:
    return Dataset.from_json("data/tickets.jsonl")


def training_set() -> Dataset:
    return concatenate_datasets([public_mix(), own_tickets()])
