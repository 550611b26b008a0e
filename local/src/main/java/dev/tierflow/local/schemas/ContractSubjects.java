package dev.tierflow.local.schemas;

import dev.tierflow.schemas.Topic;
import dev.tierflow.schemas.Topics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * Every contract schema under the subject a Confluent client looks it up by: Confluent's default
 * TopicNameStrategy, {@code <topic>-value}, for each topic with Avro values ({@code tasks-value},
 * {@code tasks.<tier>-value} and {@code results.<tier>-value} for each tier of the policy, {@code policy-value},
 * {@code stats.role-value}, {@code alerts-value}, the attribution job's outputs). Keys are plain UTF-8
 * strings and have no subject. The schemas are the generated classes' own, every named type inlined.
 */
public final class ContractSubjects {

    private static final String VALUE_SUFFIX = "-value";

    private ContractSubjects() {
    }

    /** Subject -> schema, in a stable order: the fixed topics first, then each tier's two topics. */
    public static Map<String, Schema> forTiers(Collection<String> tiers) {
        List<Topic<?, ?>> topics = new ArrayList<>(Topics.fixed());
        for (String tier : tiers) {
            topics.add(Topics.routedTasks(tier));
            topics.add(Topics.results(tier));
        }
        Map<String, Schema> subjects = new LinkedHashMap<>();
        for (Topic<?, ?> topic : topics) {
            if (SpecificRecord.class.isAssignableFrom(topic.valueType())) {
                subjects.put(valueSubject(topic.name()), classSchema(topic.valueType()));
            }
        }
        return subjects;
    }

    /** The TopicNameStrategy subject of a topic's values. */
    public static String valueSubject(String topic) {
        return topic + VALUE_SUFFIX;
    }

    private static Schema classSchema(Class<?> type) {
        try {
            return (Schema) type.getMethod("getClassSchema").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type.getName() + " is not a generated Avro record", e);
        }
    }
}
