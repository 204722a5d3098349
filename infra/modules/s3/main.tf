# The objects bucket: avatars, licences and IDs (prefix users/), driver documents (drivers/),
# receipts (receipts/). Versioned, SSE-KMS, public access blocked, TLS only, lifecycle rules.
resource "aws_kms_key" "objects" {
  description             = "${var.bucket_name} objects"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  tags                    = var.tags
}

module "bucket" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "~> 4.2"

  bucket        = var.bucket_name
  force_destroy = false

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true

  control_object_ownership = true
  object_ownership         = "BucketOwnerEnforced"

  attach_deny_insecure_transport_policy = true
  attach_require_latest_tls_policy      = true

  versioning = { enabled = true }

  server_side_encryption_configuration = {
    rule = {
      apply_server_side_encryption_by_default = {
        sse_algorithm     = "aws:kms"
        kms_master_key_id = aws_kms_key.objects.arn
      }
      bucket_key_enabled = true
    }
  }

  cors_rule = [
    {
      allowed_methods = ["PUT", "GET", "HEAD"]
      allowed_origins = var.cors_origins
      allowed_headers = ["*"]
      max_age_seconds = 3000
    },
  ]

  lifecycle_rule = [
    {
      id                                     = "abort-incomplete-uploads"
      enabled                                = true
      abort_incomplete_multipart_upload_days = 1
    },
    {
      id      = "old-versions"
      enabled = true
      noncurrent_version_transition = [
        { noncurrent_days = 30, storage_class = "STANDARD_IA" },
      ]
      noncurrent_version_expiration = { noncurrent_days = var.noncurrent_version_days }
    },
    {
      id      = "receipts-to-infrequent-access"
      enabled = true
      filter  = { prefix = "receipts/" }
      transition = [
        { days = 90, storage_class = "STANDARD_IA" },
        { days = 365, storage_class = "GLACIER_IR" },
      ]
    },
  ]

  tags = var.tags
}
