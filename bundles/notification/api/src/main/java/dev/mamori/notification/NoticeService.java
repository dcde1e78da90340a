package dev.mamori.notification;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** A tenant user's own in-app notices; nobody else's, whoever asks. */
@ProviderType
public interface NoticeService {
    /**
     * @param unreadOnly only those not marked read
     * @param limit      at most this many (1-200), newest first
     * @return the caller's notices
     */
    List<Notice> mine(boolean unreadOnly, int limit);

    /**
     * @param id one of the caller's notices
     * @return it, marked read (again: unchanged)
     * @throws dev.mamori.platform.error.MamoriException not found for any other id
     */
    Notice markRead(String id);
}
