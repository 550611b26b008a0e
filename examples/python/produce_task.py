"""Produce one AgentTask to 'tasks' (Debian: python3-confluent-kafka 1.7, python3-avro).
Usage: produce_task.py BOOTSTRAP REGISTRY_CCOMPAT_URL TASK_ID"""
import sys
from datetime import datetime, timezone
from confluent_kafka import Producer
from confluent_kafka.avro import CachedSchemaRegistryClient
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer

bootstrap, registry_url, task_id = sys.argv[1:4]
registry = CachedSchemaRegistryClient({"url": registry_url})
schema_id, schema, _ = registry.get_latest_schema("tasks-value")  # registered by `tierflow up` / `schemas register`
task = {f.name: f.default for f in schema.fields if f.has_default}  # Python's avro fills no defaults itself
task.update({"taskId": task_id, "runId": "run-" + task_id, "tenant": "acme", "role": "worker", "taskType": "extract",
        "inputText": "Extract the invoice number from: INV-2291, due 2026-12-01.", "createdAt": datetime.now(timezone.utc)})  # timestamp-millis: a datetime
value = MessageSerializer(registry).encode_record_with_schema_id(schema_id, task)  # 0x00 + schema id + Avro body
producer = Producer({"bootstrap.servers": bootstrap})
producer.produce("tasks", key=task_id.encode(), value=value)  # keys are plain UTF-8 task ids
producer.flush(10)
print("sent", task_id)
