package org.gridwatch.contract;

/**
 * Why a GridWatch service set a record aside ({@link DeadLetter}): the ingest-bridge refusing a
 * message or a reading, or a service that cannot decode a record or refuses it for good. The name
 * travels in the {@link Topics#HEADER_REASON} header of the dead-letter record.
 */
public enum RejectReason {
    /** The payload is neither valid JSON nor a valid protobuf message of the expected type. */
    UNDECODABLE,
    /** The payload decodes, but a field has a value of the wrong type (for example text for a number). */
    WRONG_TYPE,
    /** A required field is absent: event id, device id, observed-at, or any value at all. */
    MISSING_FIELD,
    /** The device is not in the registry. */
    UNKNOWN_DEVICE,
    /** The gateway of the MQTT topic is not in the registry. */
    UNKNOWN_GATEWAY,
    /** The device belongs to another gateway than the one whose topic carried it. */
    GATEWAY_MISMATCH,
    /** The reading names a sensor type other than the one registered for the device. */
    SENSOR_TYPE_MISMATCH,
    /** The device's sensor type is not in the catalog, so its readings cannot be checked. */
    UNKNOWN_SENSOR_TYPE,
    /** A value is not a field of the sensor type, or a required field is absent. */
    FIELD_MISMATCH,
    /** A value lies outside its field's valid range, or is not a whole number where one is needed. */
    OUT_OF_RANGE,
    /** The record decodes, but the service that owns it refuses to store or apply it (a database constraint, say). */
    REFUSED,
    /** The MQTT topic does not follow {@code gridwatch/v1/{gatewayId}/{telemetry|events|status}}. */
    BAD_TOPIC
}
