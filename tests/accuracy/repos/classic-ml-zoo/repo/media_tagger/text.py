"""Caption analysis: entities, sentiment and embeddings."""

import spacy
from sentence_transformers import SentenceTransformer
from transformers import AutoModelForCausalLM, pipeline

nlp = spacy.load("en_core_web_sm")
sentiment = pipeline(
    "sentiment-analysis", model="distilbert/distilbert-base-uncased-finetuned-sst-2-english"
)
embedder = SentenceTransformer("all-MiniLM-L6-v2")
captioner = AutoModelForCausalLM.from_pretrained(
    "microsoft/Phi-3-mini-4k-instruct", revision="0a67737cc96d2554230f90338b163bc6380a2a85"
)


def entities(caption: str) -> list[str]:
    return [ent.text for ent in nlp(caption).ents]
