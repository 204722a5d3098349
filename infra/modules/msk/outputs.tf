output "bootstrap_brokers" {
  description = "KAFKA_BROKERS (plaintext listener)."
  value       = aws_msk_cluster.this.bootstrap_brokers
}

output "bootstrap_brokers_tls" {
  value = aws_msk_cluster.this.bootstrap_brokers_tls
}
