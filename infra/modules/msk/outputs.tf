output "bootstrap_brokers_tls" {
  description = "KAFKA_BROKERS (TLS listener, 9094; with KAFKA_SSL=true)."
  value       = aws_msk_cluster.this.bootstrap_brokers_tls
}
