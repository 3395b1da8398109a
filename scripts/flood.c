// SPDX-License-Identifier: GPL-2.0
/*
 * flood: send COUNT copies of one Ethernet frame, each numbered, as UDP
 * datagrams to QEMU's -netdev socket port on the hub (scripts/vm.py's
 * injector port), from SENDERS threads at once, each with a socket of its
 * own and sendmmsg() batches. Built and run on the host by scripts/bench
 * (vm.py --flooder, the guest's "@@flood" request).
 *
 *   flood PORT HEXFRAME COUNT SENDERS PPS
 *
 * HEXFRAME is the frame (frames.py's kind "burst": 60 bytes to eth0);
 * frame i carries i, big-endian, at bytes 14..17, as frames.py's burst
 * does. PPS is the total rate across the senders, each paced on a
 * schedule that a late wake-up does not stretch; 0 sends as fast as the
 * senders can. Prints "sent N frames in S s" on stdout. Dies with its
 * parent (PR_SET_PDEATHSIG).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define MAXFRAME 1514

struct sender {
	pthread_t thread;
	unsigned long first, count;	/* frame numbers first..first+count-1 */
	double pps;			/* 0: unpaced */
	unsigned long sent;
};

static int port;
static unsigned char frame[MAXFRAME];
static size_t frame_len;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *send_frames(void *arg)
{
	struct sender *s = arg;
	static __thread unsigned char buf[BATCH][MAXFRAME];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_in to = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	unsigned long i = 0, batch = BATCH;
	double start, due;
	int fd, k;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&to, sizeof(to))) {
		perror("flood: socket");
		return NULL;
	}
	/* Paced: a batch about every half millisecond. */
	if (s->pps > 0) {
		batch = (unsigned long)(s->pps / 2000);
		if (batch < 1)
			batch = 1;
		if (batch > BATCH)
			batch = BATCH;
	}
	for (k = 0; k < BATCH; k++) {
		memcpy(buf[k], frame, frame_len);
		iov[k].iov_base = buf[k];
		iov[k].iov_len = frame_len;
		memset(&msgs[k], 0, sizeof(msgs[k]));
		msgs[k].msg_hdr.msg_iov = &iov[k];
		msgs[k].msg_hdr.msg_iovlen = 1;
	}
	start = now();
	while (i < s->count) {
		unsigned long n = s->count - i < batch ? s->count - i : batch;
		int r;

		for (k = 0; k < (int)n; k++) {
			uint32_t seq = htonl((uint32_t)(s->first + i + k));

			memcpy(buf[k] + 14, &seq, 4);
		}
		r = sendmmsg(fd, msgs, n, 0);
		if (r < 0) {
			if (errno == EINTR || errno == ENOBUFS ||
			    errno == EAGAIN || errno == ECONNREFUSED)
				continue;
			perror("flood: sendmmsg");
			break;
		}
		i += r;
		if (s->pps > 0) {
			due = start + i / s->pps;
			while ((r = (int)((due - now()) * 1e6)) > 0)
				usleep(r);
		}
	}
	s->sent = i;
	close(fd);
	return NULL;
}

int main(int argc, char **argv)
{
	unsigned long count, senders, total = 0, k;
	struct sender *s;
	double pps, t0;
	size_t len;

	if (argc != 6) {
		fprintf(stderr, "usage: flood PORT HEXFRAME COUNT SENDERS PPS\n");
		return 2;
	}
	/* Not a moment longer than vm.py, which started it. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() == 1)
		return 1;
	port = atoi(argv[1]);
	len = strlen(argv[2]);
	if (len % 2 || len / 2 < 18 || len / 2 > MAXFRAME) {
		fprintf(stderr, "flood: bad frame\n");
		return 2;
	}
	frame_len = len / 2;
	for (k = 0; k < frame_len; k++)
		sscanf(argv[2] + 2 * k, "%2hhx", &frame[k]);
	count = strtoul(argv[3], NULL, 0);
	senders = strtoul(argv[4], NULL, 0);
	pps = atof(argv[5]);
	if (senders < 1 || senders > 64 || pps < 0) {
		fprintf(stderr, "flood: bad SENDERS or PPS\n");
		return 2;
	}
	s = calloc(senders, sizeof(*s));
	if (!s)
		return 1;
	t0 = now();
	for (k = 0; k < senders; k++) {
		s[k].first = count / senders * k + (k < count % senders ? k : count % senders);
		s[k].count = count / senders + (k < count % senders);
		s[k].pps = pps / senders;
		if (pthread_create(&s[k].thread, NULL, send_frames, &s[k])) {
			perror("flood: pthread_create");
			return 1;
		}
	}
	for (k = 0; k < senders; k++) {
		pthread_join(s[k].thread, NULL);
		total += s[k].sent;
	}
	printf("sent %lu frames in %.3f s\n", total, now() - t0);
	return total == count ? 0 : 1;
}
