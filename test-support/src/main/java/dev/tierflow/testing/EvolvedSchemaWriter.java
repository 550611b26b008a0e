package dev.tierflow.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Writes records as a producer on a newer, backward-compatible version of a contract would: the schema
 * plus one optional field, registered once under its Confluent subject, each record framed with that
 * schema's id. A reader that has never seen the id must ask the registry for it, which is what a test
 * of a registry outage needs: readers cache the ids they have seen.
 */
public final class EvolvedSchemaWriter<T extends SpecificRecordBase> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Schema evolved;
    private final int schemaId;
    private final SpecificDatumWriter<Object> writer;

    private EvolvedSchemaWriter(Schema evolved, int schemaId, SpecificData data) {
        this.evolved = evolved;
        this.schemaId = schemaId;
        this.writer = new SpecificDatumWriter<>(evolved, data);
    }

    /**
     * @param ccompatUrl the registry's Confluent-compatible API, e.g. {@code http://127.0.0.1:8080/apis/ccompat/v7}
     * @param subject    e.g. {@code tasks-value}
     */
    public static <T extends SpecificRecordBase> EvolvedSchemaWriter<T> register(String ccompatUrl, String subject,
                                                                                 Schema current, Class<T> type) {
        Schema evolved = withOptionalField(current, "evolvedNote");
        try {
            String body = JSON.writeValueAsString(Map.of("schema", evolved.toString()));
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(ccompatUrl + "/subjects/" + subject + "/versions"))
                            .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("registering " + subject + " failed: " + response.statusCode() + " " + response.body());
            }
            JsonNode id = JSON.readTree(response.body()).get("id");
            return new EvolvedSchemaWriter<>(evolved, id.intValue(), SpecificData.getForClass(type));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int schemaId() {
        return schemaId;
    }

    /** The record's fields under the evolved schema (the new field left null), framed as the registry serdes frame it. */
    public byte[] frame(T record) {
        GenericData.Record copy = new GenericData.Record(evolved);
        for (Schema.Field field : record.getSchema().getFields()) {
            copy.put(field.name(), record.get(field.pos()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.writeBytes(ByteBuffer.allocate(4).putInt(schemaId).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            writer.write(copy, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static Schema withOptionalField(Schema schema, String name) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : schema.getFields()) {
            fields.add(new Schema.Field(field, field.schema()));
        }
        fields.add(new Schema.Field(name, Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
                "added by a newer producer", JsonProperties.NULL_VALUE));
        Schema evolved = Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
        schema.getObjectProps().forEach(evolved::addProp);
        return evolved;
    }
}
