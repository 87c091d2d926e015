terraform {
  required_version = ">= 1.9"
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.10"
    }
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.78"
    }
  }
}

module "assistant" {
  source              = "../../modules/assistant"
  prefix              = "acme-prod"
  resource_group_name = "rg-assistant-prod"
}
