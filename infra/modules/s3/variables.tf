variable "bucket_name" {
  type = string
}

variable "cors_origins" {
  type    = list(string)
  default = ["https://*.uitgo.example"]
}

variable "noncurrent_version_days" {
  type        = number
  default     = 90
  description = "Deleted or overwritten objects can be restored this many days."
}

variable "tags" {
  type    = map(string)
  default = {}
}
