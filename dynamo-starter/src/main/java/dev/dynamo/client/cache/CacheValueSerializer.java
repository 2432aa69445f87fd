package dev.dynamo.client.cache;

/** How a {@link DynamoCache} stores values: as bytes of one content type. */
public interface CacheValueSerializer {

    /** The stored form of {@code value}, which is never null ({@link org.springframework.cache.support.NullValue} stands for null). */
    byte[] serialize(Object value);

    /** The value {@link #serialize} stored as {@code bytes}. */
    Object deserialize(byte[] bytes);

    /** The content type stored values carry. */
    String contentType();
}
