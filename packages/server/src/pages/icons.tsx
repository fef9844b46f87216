/**
 * Inline SVG artwork for the hosted pages. Inline markup (not `<img>`), so it needs nothing from
 * the CSP beyond the stylesheet, and colours come from CSS classes, never `style` attributes.
 * Every icon is decorative (`aria-hidden`); the text beside it carries the meaning.
 */

/** Warden's mark: a shield with a keyhole. */
export function WardenLogo({ size = 28 }: { size?: number }) {
  return (
    <svg class="logo" width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <path
        class="logo-shield"
        d="M16 2.5 4.5 6.8v8.4c0 7.3 4.9 12.6 11.5 14.3 6.6-1.7 11.5-7 11.5-14.3V6.8L16 2.5Z"
      />
      <path class="logo-keyhole" d="M16 9.5a3.6 3.6 0 0 0-1.7 6.8l-1 5.2h5.4l-1-5.2A3.6 3.6 0 0 0 16 9.5Z" />
    </svg>
  );
}

/** The same mark as a `data:` URI, for `<link rel="icon">` (allowed by `img-src data:`). */
export const wardenFaviconHref =
  'data:image/svg+xml,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">' +
      '<path fill="#4338ca" d="M16 2.5 4.5 6.8v8.4c0 7.3 4.9 12.6 11.5 14.3 6.6-1.7 11.5-7 11.5-14.3V6.8L16 2.5Z"/>' +
      '<path fill="#fff" d="M16 9.5a3.6 3.6 0 0 0-1.7 6.8l-1 5.2h5.4l-1-5.2A3.6 3.6 0 0 0 16 9.5Z"/></svg>',
  );

type IconProps = { class?: string };

function Icon({ class: className, children }: IconProps & { children: unknown }) {
  return (
    <svg
      class={className ? `icon ${className}` : 'icon'}
      width="20"
      height="20"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

/** A circled exclamation mark, for errors. */
export function AlertIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <circle cx="12" cy="12" r="9" />
      <path d="M12 7.5v5.5" />
      <path d="M12 16.5h.01" />
    </Icon>
  );
}

/** A circled "i", for notices. */
export function InfoIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <circle cx="12" cy="12" r="9" />
      <path d="M12 11v5.5" />
      <path d="M12 7.5h.01" />
    </Icon>
  );
}

/** A check mark, for granted permissions and completed actions. */
export function CheckIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="m5 12.5 4.5 4.5L19 7.5" />
    </Icon>
  );
}

/** An arrow leaving a door, for signing out. */
export function SignOutIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M9.5 20H6a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2h3.5" />
      <path d="m15.5 16 4-4-4-4" />
      <path d="M19.5 12H9.5" />
    </Icon>
  );
}

/** An arrow pointing onward, for "continue to the app". */
export function ArrowRightIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M5 12h14" />
      <path d="m13 6 6 6-6 6" />
    </Icon>
  );
}

/** An arrow into a door: signing in elsewhere. Neutral: no provider's brand. */
export function SignInIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M14 4h4a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-4" />
      <path d="M10 16.5 14.5 12 10 7.5" />
      <path d="M14.5 12H4" />
    </Icon>
  );
}
