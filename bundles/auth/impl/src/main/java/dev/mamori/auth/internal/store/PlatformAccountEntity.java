package dev.mamori.auth.internal.store;

import javax.persistence.Entity;
import javax.persistence.Table;

/** Row of {@code mamori_auth_platform_account}: an operator or support account, bound to no tenant. */
@Entity(name = "AuthPlatformAccount")
@Table(name = "mamori_auth_platform_account")
public class PlatformAccountEntity extends AccountEntity {
}
