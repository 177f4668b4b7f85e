output "host_address" {
  description = "The address the master reaches the host at: give it to `qair zone adopt ZONE --address`."
  value = (var.external_ip
    ? google_compute_instance.host.network_interface[0].access_config[0].nat_ip
  : google_compute_instance.host.network_interface[0].network_ip)
}

output "agent_endpoint" {
  description = "HOST:PORT of the zone agent."
  value = "${var.external_ip
    ? google_compute_instance.host.network_interface[0].access_config[0].nat_ip
  : google_compute_instance.host.network_interface[0].network_ip}:${var.agent_port}"
}

output "instance_self_link" {
  value = google_compute_instance.host.self_link
}

output "firewall_name" {
  value = google_compute_firewall.agent.name
}
