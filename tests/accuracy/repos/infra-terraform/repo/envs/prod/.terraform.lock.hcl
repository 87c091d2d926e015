# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/hashicorp/aws" {
  version     = "5.78.0"
  constraints = "~> 5.78"
  hashes = [
    "h1:o7Q5Z2J7fFmiqXl5nDDLDWBNwCEcKCXAKr1m6L4Xx8o=",
  ]
}

provider "registry.terraform.io/hashicorp/azurerm" {
  version     = "4.10.0"
  constraints = "~> 4.10"
  hashes = [
    "h1:8dr0E9bYmLd1y9Ld3pVbJL6JHSD6cUdzqF2mLhT/2Ug=",
  ]
}
