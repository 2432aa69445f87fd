package dev.dynamo.client.cache;

import org.springframework.cache.support.NullValue;
import org.springframework.util.ClassUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Values as JSON through the application's {@link JsonMapper}: {@code {"type": "<class>", "value": ...}}, so that a
 * value comes back as the class it was cached as. Only that outer class is named: a field declared as an interface
 * or a generic collection's elements come back as the mapper reads them without type information (maps for
 * objects), as with any JSON without default typing, which this does not turn on (it would let whoever writes the
 * bucket choose classes to build). Classes load from the application's class loader.
 */
public final class JsonCacheValueSerializer implements CacheValueSerializer {

    private final JsonMapper mapper;
    private final ClassLoader classes;

    public JsonCacheValueSerializer(JsonMapper mapper, ClassLoader classes) {
        this.mapper = mapper;
        this.classes = classes;
    }

    /** What is stored: the value's class ({@code null} for a cached null) and the value. */
    private record Stored(String type, Object value) {
    }

    @Override
    public byte[] serialize(Object value) {
        return mapper.writeValueAsBytes(value instanceof NullValue ? new Stored(null, null)
                : new Stored(value.getClass().getName(), value));
    }

    @Override
    public Object deserialize(byte[] bytes) {
        JsonNode stored = mapper.readTree(bytes);
        JsonNode type = stored.path("type");
        if (type.isNull()) {
            return NullValue.INSTANCE;
        }
        Class<?> cached;
        try {
            cached = ClassUtils.forName(type.asString(), classes);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("a cached value names class " + type.asString()
                    + ", which this application does not have", e);
        }
        return mapper.treeToValue(stored.path("value"), cached);
    }

    @Override
    public String contentType() {
        return "application/json";
    }
}
