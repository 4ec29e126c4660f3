"""Sessions of an edition's programme: conferences, trainings, AGORA, shows; their speakers and
spaces, registrations, attendance, certificates and feedback."""
