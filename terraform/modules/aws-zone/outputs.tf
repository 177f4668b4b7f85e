output "host_address" {
  description = "The address the master reaches the host at: give it to `qair zone adopt ZONE --address`."
  value       = var.associate_public_ip ? aws_instance.host.public_ip : aws_instance.host.private_ip
}

output "agent_endpoint" {
  description = "HOST:PORT of the zone agent."
  value       = "${var.associate_public_ip ? aws_instance.host.public_ip : aws_instance.host.private_ip}:${var.agent_port}"
}

output "instance_id" {
  value = aws_instance.host.id
}

output "security_group_id" {
  value = aws_security_group.agent.id
}
