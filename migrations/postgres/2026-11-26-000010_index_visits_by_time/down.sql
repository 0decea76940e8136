DROP INDEX visits_device_at;
