package dev.mamori.shell.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import org.apache.karaf.shell.support.table.ShellTable;

import dev.mamori.tenant.InvalidTenantDataException;
import dev.mamori.tenant.Tenant;

/** Output helpers shared by the tenant commands. */
final class Format {
    private Format() {
    }

    static String time(Instant instant, Clock clock) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atZone(clock.getZone()).withNano(0));
    }

    static String date(Optional<LocalDate> date) {
        return date.map(LocalDate::toString).orElse("");
    }

    static LocalDate parseDate(String value, String option) {
        if (value == null) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidTenantDataException(option + " must be a date like 2026-12-31, not '" + value + "'.");
        }
    }

    static void printDetails(Tenant t, Clock clock) {
        ShellTable table = new ShellTable();
        table.column("Field");
        table.column("Value");
        table.addRow().addContent("id", t.id());
        table.addRow().addContent("slug", t.slug());
        table.addRow().addContent("name", t.displayName());
        table.addRow().addContent("state", t.state());
        table.addRow().addContent("plan", t.plan());
        table.addRow().addContent("region", t.region());
        table.addRow().addContent("trial ends", date(t.trialEndsOn()));
        table.addRow().addContent("contract start", date(t.contractStart()));
        table.addRow().addContent("contract end", date(t.contractEnd()));
        table.addRow().addContent("terminated on", date(t.terminationDate()));
        table.addRow().addContent("created", time(t.createdAt(), clock));
        table.addRow().addContent("state since", time(t.stateChangedAt(), clock));
        table.addRow().addContent("updated", time(t.updatedAt(), clock));
        table.print(System.out);
    }
}
