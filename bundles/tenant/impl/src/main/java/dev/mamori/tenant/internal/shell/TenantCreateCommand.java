package dev.mamori.tenant.internal.shell;

import dev.mamori.shell.spi.Format;
import dev.mamori.shell.spi.MamoriAction;
import java.time.Clock;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.mamori.tenant.NewTenant;
import dev.mamori.tenant.Tenant;
import dev.mamori.tenant.TenantService;

/** mamori:tenant-create */
@Service
@Command(scope = "mamori", name = "tenant-create", description = "Creates a tenant, in TRIAL unless --paid-from is given.")
public class TenantCreateCommand extends MamoriAction {
    @Reference
    TenantService tenants;
    @Reference
    Clock clock;

    @Argument(index = 0, name = "slug", required = true, description = "Unique handle: 3-63 of a-z, 0-9, '-'.")
    String slug;
    @Argument(index = 1, name = "name", required = true, description = "Company name (quote it if it has spaces).")
    String name;
    @Option(name = "--plan", description = "Plan name (default: trial).")
    String plan = NewTenant.DEFAULT_PLAN;
    @Option(name = "--region", description = "Data residency region (default: jp).")
    String region = NewTenant.DEFAULT_REGION;
    @Option(name = "--trial-ends", description = "Last trial day, yyyy-mm-dd (default: trial length from today).")
    String trialEnds;
    @Option(name = "--paid-from", description = "Start ACTIVE on a paid contract from this day, yyyy-mm-dd.")
    String paidFrom;
    @Option(name = "--paid-until", description = "Last day of the paid contract, yyyy-mm-dd.")
    String paidUntil;

    @Override
    protected void run() {
        NewTenant.Builder b = NewTenant.builder(slug, name).plan(plan).region(region)
                .trialEndsOn(Format.parseDate(trialEnds, "--trial-ends"));
        if (paidFrom != null) {
            b.paid(Format.parseDate(paidFrom, "--paid-from"), Format.parseDate(paidUntil, "--paid-until"));
        }
        Tenant t = tenants.create(b.build());
        System.out.println("Created tenant " + t.slug() + " " + t.id() + " " + t.state());
    }
}
