package dev.mamori.audit.proof;

import dev.mamori.audit.proof.LogVerifier.Damage;
import dev.mamori.audit.proof.LogVerifier.Finding;

/**
 * A row that is not the entry its place calls for (it carries another index, or a row is missing),
 * waiting for a few more rows to say what happened there. Its position is settled when it shows;
 * only its kind needs the rows after it: a deletion shifts every later row by +1, an insertion by
 * -1, a swap leaves them in place but for the partner row, which carries this row's index. Only
 * those few facts are kept, so classifying costs O(1) memory however far the partner is.
 */
final class Anomaly {
    /** How many rows to read after it at most, looking for a swap partner. */
    static final long WINDOW = 1_000_000;
    private static final long NOT_SEEN = -1;
    private static final long UNREADABLE = -2;

    private final long row;
    private final long carried;
    private final boolean gap;
    private final boolean copyOfPrevious;
    private long rows;
    private long firstAfter = NOT_SEEN;
    private long next1 = NOT_SEEN;
    private long next2 = NOT_SEEN;
    private long partner = NOT_SEEN;

    private Anomaly(long row, long carried, boolean gap, boolean copyOfPrevious) {
        this.row = row;
        this.carried = carried;
        this.gap = gap;
        this.copyOfPrevious = copyOfPrevious;
    }

    /** @param row the index expected @param came the row index that came instead (larger) @return the anomaly */
    static Anomaly gap(long row, long came) {
        return new Anomaly(row, came, true, false);
    }

    /**
     * @param row            the row's index
     * @param carried        the index its entry carries
     * @param copyOfPrevious whether its bytes repeat the previous row's
     * @return the anomaly
     */
    static Anomaly index(long row, long carried, boolean copyOfPrevious) {
        return new Anomaly(row, carried, false, copyOfPrevious);
    }

    /** @return the row where it showed */
    long row() {
        return row;
    }

    /**
     * @param rowIndex a later row's index
     * @param embedded the index its entry carries, negative if it is no entry
     * @return whether it can be classified now
     */
    boolean observe(long rowIndex, long embedded) {
        long e = embedded < 0 ? UNREADABLE : embedded;
        rows++;
        if (rows == 1) {
            firstAfter = rowIndex;
            next1 = rowIndex == row + 1 ? e : UNREADABLE;
        } else if (rows == 2) {
            next2 = rowIndex == row + 2 ? e : UNREADABLE;
        }
        if (!gap && rowIndex == carried) {
            partner = e;
        }
        if (rows >= WINDOW) {
            return true;
        }
        if (gap || carried < row) {
            return true;
        }
        if (next1 == row) {
            return carried != row + 1 || rows >= 2;
        }
        return next1 == carried + 1 || partner != NOT_SEEN || rowIndex >= carried;
    }

    /** @return what happened, from the rows seen (all there are, if the log ended first) */
    Finding decide() {
        long r = row;
        long n = carried;
        if (gap) {
            if (firstAfter == r) {
                return new Finding(r, Damage.REORDERED, "row " + r + " comes after row " + n + ": the rows are out of order");
            }
            return new Finding(r, Damage.DELETED, (n == r + 1 ? "entry " + r + " is missing" : "entries " + r + " to " + (n - 1) + " are missing")
                    + " (the next row is " + n + "): deleted");
        }
        if (n > r) {
            if (next1 == r && n == r + 1 && next2 != r + 1) {
                return swapped(r, n);
            }
            if (next1 == r) {
                return new Finding(r, Damage.INSERTED, "row " + r + " holds an entry claiming index " + n
                        + " and the rows after it are shifted by one: an entry was inserted at " + r + " and the rest renumbered");
            }
            if (next1 == n + 1) {
                return new Finding(r, Damage.DELETED, "row " + r + " holds entry " + n + " and the rows after it follow on: "
                        + (n == r + 1 ? "entry " + r + " was" : "entries " + r + " to " + (n - 1) + " were") + " deleted and the rest renumbered");
            }
            if (partner == r) {
                return swapped(r, n);
            }
            if (next1 == r + 1) {
                return new Finding(r, Damage.EDITED, "row " + r + " holds an entry claiming index " + n
                        + " while the rows around it are in place: it was rewritten");
            }
            return new Finding(r, Damage.DELETED, "row " + r + " holds entry " + n + ": entries before it were deleted and the rows renumbered");
        }
        if (next1 == r + 1) {
            return new Finding(r, Damage.EDITED, "row " + r + " holds an entry claiming index " + n
                    + " while the rows after it are in place: it was rewritten");
        }
        if (n == r - 1 && !copyOfPrevious) {
            return new Finding(r - 1, Damage.INSERTED, "rows " + (r - 1) + " and " + r + " both claim index " + (r - 1)
                    + " with different bytes and the rows after are shifted by one: an entry was inserted at " + (r - 1) + " and the rest renumbered");
        }
        return new Finding(r, Damage.INSERTED, "row " + r + " repeats index " + n
                + " and the rows after it are shifted by one: an entry was inserted at " + r + " and the rest renumbered");
    }

    private static Finding swapped(long r, long n) {
        return new Finding(r, Damage.REORDERED, "rows " + r + " and " + n + " hold each other's entries: they were swapped");
    }
}
