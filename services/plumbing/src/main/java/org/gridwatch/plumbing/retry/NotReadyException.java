package org.gridwatch.plumbing.retry;

/**
 * Something a step needs is not there yet (the registry not read since start-up, say): the step
 * is tried again later, the record it works on is never set aside for it.
 */
public class NotReadyException extends RuntimeException {

    public NotReadyException(String message) {
        super(message);
    }
}
