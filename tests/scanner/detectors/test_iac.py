"""Provider evidence from infrastructure as code: Terraform, CloudFormation, Bicep, IAM policies."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aims.catalog import load_catalog
from aims.catalog.iac import load_iac
from aims.scanner.detectors.base import DetectContext, ScanFile
from aims.scanner.detectors.iac import IaCDetector

ENTRIES = load_iac().entries


def _providers(text: str) -> set[str]:
    return {m.provider for m in load_iac().find(text)}


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.provider for e in ENTRIES])
def test_catalog_examples(entry) -> None:
    for positive in entry.examples.positive:
        assert entry.provider in _providers(positive), positive
    for negative in entry.examples.negative:
        assert entry.provider not in _providers(negative), negative


def _detect(relpath: str, text: str) -> dict[str, list[int]]:
    file = ScanFile(relpath=relpath, abspath=relpath, data=text.encode(), size=len(text))
    result = IaCDetector().detect(file, DetectContext(catalog=load_catalog()))
    return {c.name: [e.line or 0 for e in c.evidence] for c in result.components}


TERRAFORM = """\
# Bedrock agent for the support desk; the bucket below only stores transcripts.
resource "aws_s3_bucket" "bedrock_transcripts" {
  bucket = "acme-bedrock-transcripts"
}

resource "aws_bedrockagent_agent" "support" {
  agent_name              = "support"
  foundation_model        = var.model_id
}

data "aws_iam_policy_document" "invoke" {
  statement {
    actions   = ["bedrock:InvokeModel", "s3:GetObject"]
    resources = ["*"]
  }
}

resource "azurerm_cognitive_account" "speech" {
  name = "acme-speech"
  kind = "SpeechServices"
}
"""


def test_terraform_lines_and_negatives() -> None:
    assert _detect("infra/main.tf", TERRAFORM) == {"aws-bedrock": [6, 13]}


def test_azure_openai_needs_the_openai_kind() -> None:
    text = TERRAFORM.replace('kind = "SpeechServices"', 'kind = "OpenAI"')
    assert _detect("infra/main.tf", text)["azure-openai"] == [18]


CLOUDFORMATION = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Endpoint:
    Type: AWS::SageMaker::Endpoint
    Properties:
      EndpointConfigName: !Ref Config
  Role:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyDocument:
            Statement:
              - Effect: Allow
                Action: "bedrock:InvokeModelWithResponseStream"
"""


def test_cloudformation_and_bicep() -> None:
    assert _detect("template.yaml", CLOUDFORMATION) == {"aws-sagemaker": [4], "aws-bedrock": [14]}
    bicep = "resource hub 'Microsoft.MachineLearningServices/workspaces@2024-04-01' = {\n  name: 'hub'\n}\n"
    assert _detect("main.bicep", bicep) == {"azure-ai-foundry": [1]}


def test_wants_iac_files_only() -> None:
    d = IaCDetector()
    assert d.wants("infra/main.tf", "main.tf") and d.wants("t/template.yaml", "template.yaml")
    assert not d.wants("app.py", "app.py") and not d.wants("package.json", "package.json")


@given(st.text(max_size=400))
def test_never_raises(text: str) -> None:
    _detect("x.tf", text)


def test_every_iac_provider_is_in_the_catalog() -> None:
    known = {p.id for p in load_catalog().providers}
    assert {e.provider for e in ENTRIES} <= known
