package org.gridwatch.contract;

import org.gridwatch.contract.v1.AlertEvent;
import org.gridwatch.contract.v1.Detection;
import org.gridwatch.contract.v1.DeviceEvent;
import org.gridwatch.contract.v1.GatewayStatus;
import org.gridwatch.contract.v1.Reading;
import org.gridwatch.contract.v1.RegistryRecord;
import org.gridwatch.contract.v1.TaskEvent;

/**
 * One Kafka serde per message type. The named subclasses exist so that Kafka configuration
 * ({@code value.serializer=...}) can name them by class.
 */
public final class Serdes {

    private Serdes() {
    }

    public static final class ReadingSerde extends ProtobufSerde<Reading> {
        public ReadingSerde() {
            super(Reading.parser());
        }
    }

    public static final class DeviceEventSerde extends ProtobufSerde<DeviceEvent> {
        public DeviceEventSerde() {
            super(DeviceEvent.parser());
        }
    }

    public static final class GatewayStatusSerde extends ProtobufSerde<GatewayStatus> {
        public GatewayStatusSerde() {
            super(GatewayStatus.parser());
        }
    }

    public static final class DetectionSerde extends ProtobufSerde<Detection> {
        public DetectionSerde() {
            super(Detection.parser());
        }
    }

    public static final class AlertEventSerde extends ProtobufSerde<AlertEvent> {
        public AlertEventSerde() {
            super(AlertEvent.parser());
        }
    }

    public static final class TaskEventSerde extends ProtobufSerde<TaskEvent> {
        public TaskEventSerde() {
            super(TaskEvent.parser());
        }
    }

    public static final class RegistryRecordSerde extends ProtobufSerde<RegistryRecord> {
        public RegistryRecordSerde() {
            super(RegistryRecord.parser());
        }
    }
}
