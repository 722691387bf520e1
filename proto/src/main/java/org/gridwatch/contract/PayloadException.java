package org.gridwatch.contract;

/** A payload that cannot be turned into contract messages, with the reason a dead-letter record carries. */
public class PayloadException extends Exception {

    private final RejectReason reason;

    public PayloadException(RejectReason reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    public PayloadException(RejectReason reason, String detail, Throwable cause) {
        super(detail, cause);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
