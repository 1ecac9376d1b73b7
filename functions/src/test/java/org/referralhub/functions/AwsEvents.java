package org.referralhub.functions;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads AWS event JSON the way the Lambda Java runtime does, with its own serializers. */
public final class AwsEvents {

    private AwsEvents() {
    }

    public static <T> T read(Class<T> type, String resource) {
        try (InputStream in = AwsEvents.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no event " + resource);
            }
            return read(type, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T read(Class<T> type, InputStream json) {
        PojoSerializer<T> serializer = LambdaEventSerializers.serializerFor(type, AwsEvents.class.getClassLoader());
        return serializer.fromJson(json);
    }
}
