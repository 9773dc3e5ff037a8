#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs the shell command POSTed by a dom0 test; answers its output, then a
# last line "XT-EXIT <status>".
echo "Content-type: text/plain"
echo
cmd=$(head -c "${CONTENT_LENGTH:-0}")
sh -c "$cmd" 2>&1
echo "XT-EXIT $?"
