/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <string.h>

#include <amtless/error.h>

const char *amt_status_str(amt_status st)
{
	switch (st) {
	case AMT_OK: return "ok";
	case AMT_E_NOMEM: return "out of memory";
	case AMT_E_TRUNCATED: return "truncated";
	case AMT_E_BADMAGIC: return "bad signature";
	case AMT_E_RANGE: return "out of range";
	case AMT_E_OVERLAP: return "overlap";
	case AMT_E_LOOP: return "loop";
	case AMT_E_CHECKSUM: return "bad checksum";
	case AMT_E_SIGNATURE: return "bad RSA signature";
	case AMT_E_UNSUPPORTED: return "unsupported";
	case AMT_E_UNKNOWN: return "unknown image";
	case AMT_E_UPDATE_FILE: return "update file";
	case AMT_E_PLATFORM: return "platform not recognised";
	case AMT_E_REFUSED: return "refused";
	case AMT_E_VERIFY: return "verification failed";
	case AMT_E_IO: return "I/O error";
	case AMT_E_ARG: return "invalid argument";
	}
	return "error";
}

amt_status amt_error_vset(amt_error *err, amt_status code, const char *structure,
			  uint64_t offset, const char *fmt, va_list ap)
{
	if (!err)
		return code;
	err->code = code;
	err->reason = AMT_R_NONE;
	snprintf(err->structure, sizeof(err->structure), "%s", structure ? structure : "");
	err->offset = offset;
	if (fmt)
		vsnprintf(err->message, sizeof(err->message), fmt, ap);
	else
		err->message[0] = '\0';
	return code;
}

amt_status amt_error_set(amt_error *err, amt_status code, const char *structure,
			 uint64_t offset, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	amt_error_vset(err, code, structure, offset, fmt, ap);
	va_end(ap);
	return code;
}

amt_status amt_error_set_reason(amt_error *err, amt_status code, amt_reason reason,
				const char *structure, uint64_t offset, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	amt_error_vset(err, code, structure, offset, fmt, ap);
	va_end(ap);
	if (err)
		err->reason = reason;
	return code;
}

void amt_error_clear(amt_error *err)
{
	if (!err)
		return;
	memset(err, 0, sizeof(*err));
	err->offset = AMT_NO_OFFSET;
}
