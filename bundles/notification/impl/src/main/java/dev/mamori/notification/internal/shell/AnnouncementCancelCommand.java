package dev.mamori.notification.internal.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.mamori.notification.AnnouncementService;
import dev.mamori.shell.spi.MamoriAction;

/** mamori:announcement-cancel */
@Service
@Command(scope = "mamori", name = "announcement-cancel", description = "Cancels a scheduled announcement (not one that went out).")
public class AnnouncementCancelCommand extends MamoriAction {
    @Reference
    AnnouncementService announcements;

    @Argument(index = 0, name = "id", required = true, description = "Announcement id.")
    String id;

    @Override
    protected void run() {
        announcements.cancel(id);
        System.out.println("Announcement " + id + " cancelled.");
    }
}
