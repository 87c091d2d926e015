resource "aws_bedrockagent_agent" "support" {
  agent_name              = "${var.prefix}-support"
  agent_resource_role_arn = aws_iam_role.bedrock_agent.arn
  foundation_model        = "anthropic.claude-3-5-sonnet-20240620-v1:0"
  instruction             = "You answer questions about orders using the order-lookup action group only."
}

data "aws_iam_policy_document" "invoke_embeddings" {
  statement {
    actions   = ["bedrock:InvokeModel"]
    resources = ["arn:aws:bedrock:eu-central-1::foundation-model/amazon.titan-embed-text-v2:0"]
  }
}

resource "aws_iam_role" "bedrock_agent" {
  name               = "${var.prefix}-bedrock-agent"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["bedrock.amazonaws.com"]
    }
  }
}
