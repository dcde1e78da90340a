/** JPA entities of the auth capability; public fields for the services of this bundle only (not exported). */
package dev.mamori.auth.internal.store;
