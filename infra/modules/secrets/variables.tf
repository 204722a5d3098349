variable "name" {
  type = string
}

variable "environment" {
  type = string
}

variable "services" {
  type    = list(string)
  default = ["auth", "user", "driver", "trip"]
}

variable "database_endpoints" {
  type        = map(string)
  description = "host:port of each service's database."
}

variable "oidc_provider_arn" {
  type = string
}

variable "tags" {
  type    = map(string)
  default = {}
}
