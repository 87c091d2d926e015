variable "prefix" {
  type = string
}

variable "location" {
  type    = string
  default = "swedencentral"
}

variable "resource_group_name" {
  type = string
}
