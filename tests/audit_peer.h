/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An emulated MEI peer for the audit tests: a struct amt_mei_transport that
 * answers like an ME with MKHI and AMTHI clients, in the real message
 * formats (doc/formats.md#mei-clients). Knobs select the firmware it plays.
 */
#ifndef AMTLESS_AUDIT_PEER_H
#define AMTLESS_AUDIT_PEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <amtless/audit.h>

struct audit_peer {
	struct amt_mei_transport t;   /* hand &peer->t to amt_audit_probe() */

	/* what the firmware is */
	int open_error;               /* e.g. -EACCES: every connect fails so */
	bool has_mkhi, has_amthi;
	uint16_t fw_major, fw_minor, fw_hotfix, fw_build;
	uint32_t caps, platform, features;
	uint32_t amthi_status;        /* 0, or 0x4000 (AMT disabled) */
	uint8_t prov_state;           /* 0 pre, 1 in, 2 post */
	const char *amt_version;      /* "11.8.93" */

	/* fault injection */
	size_t truncate_to;           /* non-zero: cut every reply to this many bytes */
	bool lie_length;              /* AMTHI length field larger than the reply */
	bool wrong_response_bit;

	/* observation */
	int connects, requests, bad_requests;
	char last_client[37];

	/* internal */
	int connected;                /* 0 none, 1 MKHI, 2 AMTHI */
	uint8_t reply[1024];
	size_t reply_len;
	bool reply_ready;
};

/* A peer playing AMT 11.8.93 corporate firmware, provisioned (state 2). */
void audit_peer_init_amt(struct audit_peer *p);

#endif
