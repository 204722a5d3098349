# The location archive (packages/kit archive adapter, see its README): pk/sk (track segments and
# cell sightings), GSI gsi1 (gsi1pk/gsi1sk; read for items written before segments), TTL on
# expiresAt, point-in-time recovery, encryption with a KMS key, on-demand capacity.
module "table" {
  source  = "terraform-aws-modules/dynamodb-table/aws"
  version = "~> 4.2"

  name         = var.table_name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  range_key    = "sk"

  attributes = [
    { name = "pk", type = "S" },
    { name = "sk", type = "S" },
    { name = "gsi1pk", type = "S" },
    { name = "gsi1sk", type = "S" },
  ]

  global_secondary_indexes = [
    {
      name            = "gsi1"
      hash_key        = "gsi1pk"
      range_key       = "gsi1sk"
      projection_type = "ALL"
    },
  ]

  ttl_enabled        = true
  ttl_attribute_name = "expiresAt"

  point_in_time_recovery_enabled = true
  server_side_encryption_enabled = true
  deletion_protection_enabled    = var.deletion_protection

  tags = var.tags
}
