"""Summarise a text file with Cohere."""

import sys

import click
import cohere
from tenacity import retry, stop_after_attempt

co = cohere.ClientV2()


@retry(stop=stop_after_attempt(3))
def summarise(text: str) -> str:
    response = co.chat(
        model="command-r-08-2024",
        messages=[{"role": "user", "content": f"Summarise in three bullet points:\n{text}"}],
    )
    return response.message.content[0].text


@click.command()
@click.argument("path", type=click.Path(exists=True))
def main(path: str) -> None:
    with open(path, encoding="utf-8") as handle:
        sys.stdout.write(summarise(handle.read()) + "\n")
