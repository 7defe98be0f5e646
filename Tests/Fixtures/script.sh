#!/bin/sh
echo 'not a CV'
rm -rf /tmp/nothing
