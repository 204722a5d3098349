# Remote state: S3 (versioned, encrypted) with a DynamoDB lock table. Create both once per
# AWS account before the first init (docs/deploy.md#terraform).
terraform {
  backend "s3" {
    bucket         = "uitgo-terraform-state"
    key            = "uitgo/staging/terraform.tfstate"
    region         = "ap-southeast-1"
    dynamodb_table = "uitgo-terraform-locks"
    encrypt        = true
  }
}
