variable "name" {
  type = string
}

variable "namespace" {
  type        = string
  description = "Kubernetes namespace of the apps (k8s/overlays/<env>)."
}

variable "oidc_provider_arn" {
  type = string
}

variable "bucket_arn" {
  type = string
}

variable "kms_key_arn" {
  type = string
}

variable "dynamodb_table_arn" {
  type = string
}

variable "tags" {
  type    = map(string)
  default = {}
}
