package dev.mamori.notification;

/** Where an incident stands (NTF-1..3). */
public enum IncidentStatus {
    /** Suspected: the 72-hour notice clock runs already (NTF-1 covers suspected breaches). */
    SUSPECTED,
    /** Confirmed. */
    CONFIRMED,
    /** The response is finished: no more progress updates are due. */
    RESOLVED,
    /** It was no incident after all: no clock runs any more. */
    DISMISSED;

    /** @return whether the response still runs (progress updates due every 24 hours) */
    public boolean open() {
        return this == SUSPECTED || this == CONFIRMED;
    }
}
