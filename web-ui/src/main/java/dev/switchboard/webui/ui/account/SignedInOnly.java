package dev.switchboard.webui.ui.account;

import dev.switchboard.domain.accounts.Permission;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A dashboard view for signed-in members only: others are sent to the sign-in page. A view that
 * needs permissions in the selected organization names them: all of {@link #requires}, and at least
 * one of {@link #requiresAny} when it names any; a member whose role falls short is sent to the
 * Keys page, which every role may open.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface SignedInOnly {
  Permission[] requires() default {};

  Permission[] requiresAny() default {};
}
