/** One kibibyte, 1024 bytes. */
export const KiB = 1024;
/** One mebibyte, 1024 KiB. */
export const MiB = 1024 * KiB;
/** One gibibyte, 1024 MiB. */
export const GiB = 1024 * MiB;
