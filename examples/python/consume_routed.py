"""Read RoutedTasks from 'tasks.<tier>' until TASK_ID shows up (Debian: python3-confluent-kafka 1.7, python3-avro).
Usage: consume_routed.py BOOTSTRAP REGISTRY_CCOMPAT_URL TASK_ID TIER [TIER...]"""
import sys, time
from confluent_kafka import Consumer
from confluent_kafka.avro import CachedSchemaRegistryClient
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer

bootstrap, registry_url, task_id, tiers = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
decode = MessageSerializer(CachedSchemaRegistryClient({"url": registry_url})).decode_message  # values only: keys are plain strings
consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "python-example-" + task_id,
                     "auto.offset.reset": "earliest", "isolation.level": "read_committed"})  # the router writes in transactions
consumer.subscribe(["tasks." + tier for tier in tiers])
deadline = time.time() + 60
while time.time() < deadline:
    msg = consumer.poll(1.0)
    if msg is not None and not msg.error() and msg.key() == task_id.encode():
        routed = decode(msg.value())
        print("routed", routed["task"]["taskId"], "to", routed["tier"], routed["model"], "by", routed["rule"], "-", routed["ruleDetail"])
        sys.exit(0)
consumer.close()
sys.exit("task " + task_id + " not seen on " + ", ".join("tasks." + t for t in tiers))
