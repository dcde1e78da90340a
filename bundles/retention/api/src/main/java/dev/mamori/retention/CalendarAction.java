package dev.mamori.retention;

/** What the tenant calendar does to a tenant. */
public enum CalendarAction {
    /** Users lose access, the data is kept (a trial or a paid contract ended, TEN-3). */
    EXPIRE,
    /** The tenant vanishes from every view and is purged later (an expired trial after 90 days, TEN-3; a terminated contract, TEN-5). */
    DELETE
}
