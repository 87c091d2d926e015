"""Offline summaries of long handbook pages with a local seq2seq model."""

from functools import lru_cache

from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

SUMMARY_MODEL = "facebook/bart-large-cnn"


@lru_cache(maxsize=1)
def _load() -> tuple[AutoTokenizer, AutoModelForSeq2SeqLM]:
    tokenizer = AutoTokenizer.from_pretrained(SUMMARY_MODEL)
    model = AutoModelForSeq2SeqLM.from_pretrained(SUMMARY_MODEL)
    return tokenizer, model


def summarize(text: str) -> str:
    tokenizer, model = _load()
    inputs = tokenizer(text, return_tensors="pt", truncation=True, max_length=1024)
    ids = model.generate(**inputs, max_new_tokens=160)
    return tokenizer.decode(ids[0], skip_special_tokens=True)
