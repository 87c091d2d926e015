"""Packaging of the legacy summarizer (setuptools, no pyproject)."""

from setuptools import find_packages, setup

setup(
    name="acme-summarizer",
    version="2.4.1",
    packages=find_packages(),
    python_requires=">=3.9",
    install_requires=[
        "cohere>=5.5,<6",
        "tenacity>=8.2",
        "click>=8.1",
    ],
    extras_require={
        "gpu": ["torch>=2.3"],
        "hf": ["transformers>=4.40", "huggingface-hub>=0.23"],
    },
    entry_points={"console_scripts": ["acme-summarize=summarizer.cli:main"]},
)
