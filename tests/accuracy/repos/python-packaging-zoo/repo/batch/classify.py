"""Nightly batch: tag support e-mails stored in S3 with Mistral."""

import os

import boto3
from mistralai import Mistral

client = Mistral(api_key=os.environ["MISTRAL_API_KEY"])
s3 = boto3.client("s3")


def tag(body: str) -> str:
    result = client.chat.complete(
        model="mistral-small-latest",
        messages=[{"role": "user", "content": f"One-word topic for this e-mail:\n{body}"}],
    )
    return result.choices[0].message.content.strip()
