package dev.mamori.auth.rest.internal;

import java.time.Instant;
import java.util.List;
import java.util.TreeSet;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.mamori.auth.Profile;
import dev.mamori.auth.User;
import io.swagger.v3.oas.annotations.media.Schema;

/** JSON shapes of accounts and profiles. */
final class Views {
    private Views() {
    }

    /** An account as the API shows it. */
    @Schema(name = "User", description = "An account of the tenant, without personal data")
    public static final class UserView {
        /** Id. */
        @Schema(description = "Opaque account id")
        public String id;
        /** Login. */
        @Schema(description = "Login name (a pseudonym once erased)")
        public String loginName;
        /** Employee number. */
        @Schema(description = "Employee number, unique in the tenant (absent once erased)")
        public String employeeNumber;
        /** Roles. */
        @Schema(description = "employee, reviewer, tenant-admin")
        public List<String> roles;
        /** Permissions. */
        @Schema(description = "Scoped permissions, e.g. records:read:dept/sales")
        public List<String> permissions;
        /** State. */
        @Schema(description = "ACTIVE, DEACTIVATED or ERASED")
        public String state;
        /** Locked. */
        @Schema(description = "Locked after consecutive sign-in failures")
        public boolean locked;
        /** MFA. */
        @Schema(description = "Has a second factor enrolled")
        public boolean mfaEnrolled;
        /** Created. */
        @Schema(description = "Created")
        public Instant createdAt;
        /** Updated. */
        @Schema(description = "Last changed")
        public Instant updatedAt;
        /** What an erasure did. */
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "After an erasure: what each capability did with the person's data, e.g. records.trashed: 3")
        public java.util.Map<String, Long> effects;

        static UserView of(User u) {
            UserView v = new UserView();
            v.id = u.id();
            v.loginName = u.loginName();
            v.employeeNumber = u.employeeNumber();
            v.roles = List.copyOf(new TreeSet<>(u.roles()));
            v.permissions = List.copyOf(new TreeSet<>(u.permissions()));
            v.state = u.state().name();
            v.locked = u.locked();
            v.mfaEnrolled = u.mfaEnrolled();
            v.createdAt = u.createdAt();
            v.updatedAt = u.updatedAt();
            return v;
        }
    }

    /** Personal data. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "Profile", description = "Personal data, stored encrypted with the person's own key")
    public static final class ProfileView {
        /** Name. */
        @Schema(description = "Full name")
        public String fullName;
        /** E-mail. */
        @Schema(description = "E-mail address (also a login)")
        public String email;
        /** Location. */
        @Schema(description = "Location or office")
        public String location;
        /** Zone. */
        @Schema(description = "IANA time zone, e.g. Asia/Tokyo")
        public String timeZone;
        /** Locale. */
        @Schema(description = "BCP 47 language tag, e.g. ja-JP")
        public String locale;

        static ProfileView of(Profile p) {
            ProfileView v = new ProfileView();
            v.fullName = p.fullName();
            v.email = p.email();
            v.location = p.location();
            v.timeZone = p.timeZone();
            v.locale = p.locale();
            return v;
        }

        Profile toProfile() {
            return new Profile(fullName, email, location, timeZone, locale);
        }
    }
}
