// SPDX-License-Identifier: GPL-2.0
/*
 * failnth N insmod FILE [PARAMS]   finit_module(FILE, PARAMS)
 * failnth N write FILE STRING      write STRING to FILE (e.g. a driver's
 *                                  sysfs bind file: the probe runs here)
 * failnth N up IFNAME              set IFF_UP on IFNAME
 *
 * Runs one system call with the kernel's systematic fault injection armed:
 * N is written to /proc/thread-self/fail-nth first, so the N-th allocation
 * the call makes fails (failslab / fail_page_alloc). Both happen in this
 * one task, which a shell cannot do (fail-nth is not inherited across
 * fork). Prints "errno=E injected=0|1": injected=0 means the call made
 * fewer than N allocations, so the sweep is complete.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>


int main(int argc, char **argv)
{
	int ctl, fd = -1, ret, err;
	struct ifreq ifr;
	char buf[32];
	ssize_t len;

	if (argc < 4 || (strcmp(argv[2], "write") == 0 && argc < 5)) {
		fprintf(stderr, "usage: failnth N insmod FILE [PARAMS] | N write FILE STRING | N up IFNAME\n");
		return 2;
	}
	if (strcmp(argv[2], "insmod") == 0 || strcmp(argv[2], "write") == 0) {
		fd = open(argv[3], (argv[2][0] == 'i' ? O_RDONLY : O_WRONLY) |
			  O_CLOEXEC);
		if (fd < 0) {
			perror(argv[3]);
			return 2;
		}
	}
	if (argv[2][0] == 'u') {
		/* everything but the SIOCSIFFLAGS itself before arming */
		fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		memset(&ifr, 0, sizeof(ifr));
		strncpy(ifr.ifr_name, argv[3], IFNAMSIZ - 1);
		if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
			perror(argv[3]);
			return 2;
		}
		ifr.ifr_flags |= IFF_UP;
	}
	ctl = open("/proc/thread-self/fail-nth", O_RDWR);
	if (ctl < 0) {
		perror("fail-nth");
		return 2;
	}
	len = snprintf(buf, sizeof(buf), "%s", argv[1]);
	if (write(ctl, buf, len) != len) {
		perror("fail-nth");
		return 2;
	}
	if (argv[2][0] == 'i')
		ret = syscall(SYS_finit_module, fd, argc > 4 ? argv[4] : "", 0);
	else if (argv[2][0] == 'w')
		ret = write(fd, argv[4], strlen(argv[4])) < 0 ? -1 : 0;
	else
		ret = ioctl(fd, SIOCSIFFLAGS, &ifr);
	err = ret ? errno : 0;
	/* read back what is left; then disarm whatever was not consumed */
	len = pread(ctl, buf, sizeof(buf) - 1, 0);
	buf[len > 0 ? len : 0] = '\0';
	if (write(ctl, "0", 1) != 1)
		return 2;
	printf("errno=%d injected=%d\n", err, atoi(buf) == 0);
	return 0;
}
